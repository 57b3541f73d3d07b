/*
 * idle - runs when nothing else can. It only has to exist and never end;
 * it makes no system calls, so it can never block.
 */
int main(void)
{
    for (;;)
        continue;
}
