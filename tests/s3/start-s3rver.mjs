// start-s3rver.mjs: a fake S3 (s3rver) on 127.0.0.1 for the s3 blob driver.
// Serves a temporary directory on a free port with one bucket, prints
// "port NNNNN" on standard output once it listens, and on SIGTERM or
// SIGINT stops and removes the directory. s3rver accepts the access key
// S3RVER (secret S3RVER) and does not check SigV4 signatures; the signer
// is pinned by AWS's published vectors in tests/unit/test_sigv4.c.
//   node tests/s3/start-s3rver.mjs [bucket]     (default: saiwu-test)
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import S3rver from 's3rver'

const bucket = process.argv[2] || 'saiwu-test'
const directory = mkdtempSync(join(tmpdir(), 'saiwu-s3rver-'))
const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  directory,
  silent: true,
  configureBuckets: [{ name: bucket }],
})

let stopping = false
async function stop (code) {
  if (stopping) return
  stopping = true
  try {
    await server.close()
  } catch {}
  rmSync(directory, { recursive: true, force: true })
  process.exit(code)
}
process.on('SIGTERM', () => stop(0))
process.on('SIGINT', () => stop(0))

try {
  const { port } = await server.run()
  console.log(`port ${port}`)
} catch (e) {
  console.error(`s3rver: cannot start: ${e.message}`)
  await stop(1)
}
