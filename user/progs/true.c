/*
 * true - does nothing, successfully (exit status 0). The smallest program on the disk: the
 * benchmark's fork + exec figure runs it.
 */
int main(void)
{
    return 0;
}
