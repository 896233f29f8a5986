import { spawn, type ChildProcess } from 'node:child_process';
import { marshall } from '@aws-sdk/util-dynamodb';

/**
 * A stand-in DynamoDB in a process of its own (so its CPU is not the
 * measured process's): every POST is answered with the recorded redeem, as
 * DynamoDB Local answered it, over keep-alive HTTP on loopback. A key whose
 * id starts with `refused-` gets a ConditionalCheckFailedException carrying
 * the item (ALL_OLD), and `secretsmanager.GetSecretValue` gets `secret`.
 */
const SERVER = `
const http = require('node:http');
const ok = process.env.FAKE_OK, refused = process.env.FAKE_REFUSED, secret = process.env.FAKE_SECRET;
const server = http.createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    const target = String(req.headers['x-amz-target'] || '');
    let status = 200, out = ok;
    if (target.endsWith('GetSecretValue')) out = secret;
    else if (target.endsWith('BatchWriteItem')) out = '{"UnprocessedItems":{}}';
    else if (body.includes('"S":"refused-')) { status = 400; out = refused; }
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'FAKEDYNAMO', 'content-length': Buffer.byteLength(out) });
    res.end(out);
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));
`;

export interface FakeDynamo {
  endpoint: string;
  stop: () => void;
}

export const startFakeDynamo = async (item: Record<string, unknown>, secretString = '{}'): Promise<FakeDynamo> => {
  const attributes = marshall(item, { removeUndefinedValues: true });
  const child: ChildProcess = spawn(process.execPath, ['-e', SERVER], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...process.env,
      FAKE_OK: JSON.stringify({ Attributes: attributes }),
      FAKE_REFUSED: JSON.stringify({
        __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException',
        message: 'The conditional request failed',
        Item: attributes,
      }),
      FAKE_SECRET: JSON.stringify({ SecretString: secretString }),
    },
  });
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout?.once('data', (d: Buffer) => resolve(d.toString().trim()));
    child.once('exit', (code) => reject(new Error(`the fake DynamoDB exited ${code}`)));
  });
  return { endpoint: `http://127.0.0.1:${port}`, stop: () => child.kill() };
};
