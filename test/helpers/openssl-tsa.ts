import { execFile, execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { keyDir } from '../factories/seal-key.factory';

const run = promisify(execFile);

/** A local RFC 3161 time-stamping authority: HTTP in front of `openssl ts -reply`. */
export interface OpensslTsa {
  readonly url: string;
  /** The TSA's certificate (PEM file), for `openssl ts -verify -CAfile`. */
  readonly certFile: string;
  /** How many requests it has answered. */
  readonly requests: () => number;
  close(): Promise<void>;
}

function tsaConfig(dir: string): string {
  return `
[ tsa ]
default_tsa = tsa_config1

[ tsa_config1 ]
dir = ${dir}
serial = $dir/tsaserial
crypto_device = builtin
signer_cert = $dir/tsa.crt
certs = $dir/tsa.crt
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = no
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
`;
}

/** Starts the TSA on a loopback port, with a fresh certificate (EKU timeStamping, critical). */
export async function startOpensslTsa(): Promise<OpensslTsa> {
  const dir = keyDir();
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      join(dir, 'tsa.key'),
      '-out',
      join(dir, 'tsa.crt'),
      '-days',
      '30',
      '-subj',
      '/CN=Attest test TSA',
      '-addext',
      'extendedKeyUsage=critical,timeStamping',
      '-addext',
      'keyUsage=critical,digitalSignature',
    ],
    { stdio: 'ignore' },
  );
  writeFileSync(join(dir, 'tsaserial'), '01\n');
  const config = join(dir, 'openssl-tsa.cnf');
  writeFileSync(config, tsaConfig(dir));
  let count = 0;
  // openssl ts keeps its serial in a file: answer one request at a time.
  let queue = Promise.resolve();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      queue = queue.then(async () => {
        const n = ++count;
        const query = join(dir, `${n}.tsq`);
        const reply = join(dir, `${n}.tsr`);
        try {
          await writeFile(query, Buffer.concat(chunks));
          await run('openssl', [
            'ts',
            '-reply',
            '-config',
            config,
            '-queryfile',
            query,
            '-out',
            reply,
          ]);
          res.writeHead(200, { 'content-type': 'application/timestamp-reply' });
          res.end(await readFile(reply));
        } catch {
          res.writeHead(500).end();
        }
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/tsa`,
    certFile: join(dir, 'tsa.crt'),
    requests: () => count,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
