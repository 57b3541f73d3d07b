# Readers-writer locks: 4 readers inside at once; writers alone and readers never with a
# writer (2 writers, 4 readers, 150 rounds); a writer gets in through a stream of readers;
# rwlock_downgrade lets the queued reader in beside it but not the queued writer.
run: thr_locks rwlock
expect: thr_rwlock: 4 readers saw all 4 inside at once
expect: thr_rwlock: writers alone, readers never with a writer
expect: thr_rwlock: a writer gets in through a stream of readers
expect: thr_rwlock: downgrade lets the queued reader in, not the writer
expect: thr_rwlock: ok
reject: thr_rwlock: FAILED
reject: init: frames leaked
reject: kernel: killed
status: 0
timeout: 40
modes: 2 4
