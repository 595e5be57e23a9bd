// 41-att-s3: the whole of 40-att-storage.test.mjs again, on the s3 blob
// driver against s3rver (started by that file through
// tests/s3/start-s3rver.mjs). When s3rver cannot be started, every test
// fails: nothing is skipped.

await import('./40-att-storage.test.mjs?storage=s3');
