# knife forks peons that exec with an argument; each exits with its number, knife collects all.
run: knife 3
expect: knife: started peon 2 as tid 4
expect-re: peon 0 \(tid [0-9]+\): job done, leaving with status 0
expect: knife: all 3 peons came back
status: 0
reject: frames leaked
