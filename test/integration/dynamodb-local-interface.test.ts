/**
 * DynamoDB Local as `npm start` runs it (its data in a folder, the folder's own access key)
 * takes connections on 127.0.0.1 only: another machine, reaching this one on any of its other
 * addresses, cannot connect at all (docs/architecture.md, "What the local data is protected
 * from").
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces, platform, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { createLowLevelClient } from '../../bin/local/clients';
import {
  type DynamoDbLocal,
  jarFolder,
  loopbackLauncher,
  NO_JDK_WARNING,
  startDynamoDbLocal,
} from '../../bin/local/dynamodb-local';

/**
 * Every address of this machine other machines could reach it on (link-local IPv6 left out: it
 * needs a zone). On Linux also 127.0.0.2, which only a socket listening on every interface
 * answers, so the test holds on a machine whose only interface is the loopback.
 */
function otherAddresses(): string[] {
  const external = Object.values(networkInterfaces())
    .flatMap((entries) => entries ?? [])
    .filter((entry) => !entry.internal && !entry.address.startsWith('fe80:'))
    .map((entry) => entry.address);
  return platform() === 'linux' ? [...external, '127.0.0.2'] : external;
}

/** Whether a TCP connection to the address and port is accepted. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.setTimeout(5000, () => {
      socket.destroy();
      reject(new Error(`no answer from ${host}:${port} in 5 s`));
    });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED') resolve(false);
      else reject(error);
    });
  });
}

describe('DynamoDB Local as npm start runs it', () => {
  let local: DynamoDbLocal;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'talkback-interface-'));
    local = await startDynamoDbLocal({ dataDir, accessKeyId: 'f00dfeed0123456789abcdef' });
  });
  afterAll(async () => {
    await local?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers on 127.0.0.1', async () => {
    expect(await accepts('127.0.0.1', local.port)).toBe(true);
    const client = createLowLevelClient(local.endpoint, local.credentials);
    await expect(client.send(new ListTablesCommand({}))).resolves.toMatchObject({
      TableNames: [],
    });
    client.destroy();
  });

  it('refuses connections on every other address of this machine', async () => {
    const addresses = otherAddresses();
    expect(addresses.length).toBeGreaterThan(0);
    const accepted = await Promise.all(
      addresses.map(async (address) => [address, await accepts(address, local.port)]),
    );
    expect(accepted).toEqual(addresses.map((address) => [address, false]));
  });
});

describe('the launcher that keeps it to 127.0.0.1', () => {
  let cache: string;
  beforeEach(() => {
    cache = mkdtempSync(join(tmpdir(), 'talkback-launcher-'));
  });
  afterEach(() => rmSync(cache, { recursive: true, force: true }));

  it('is compiled once, then found in the cache', async () => {
    const first = await loopbackLauncher(jarFolder(), { cache });
    if (!('classes' in first)) throw new Error('javac is needed to run this test');
    const compiledAt = statSync(join(first.classes, 'LoopbackDynamoDbLocal.class')).mtimeMs;
    // Found again without javac: a cached launcher needs only the JRE.
    const again = await loopbackLauncher(jarFolder(), { cache, javac: 'no-such-javac' });
    expect(again).toEqual(first);
    expect(statSync(join(first.classes, 'LoopbackDynamoDbLocal.class')).mtimeMs).toBe(compiledAt);
    // Nothing half-built is left beside it.
    expect(readdirSync(cache)).toHaveLength(1);
  });

  it('without a JDK, DynamoDB Local still starts, and says in one line that it listens on every interface', async () => {
    const warnings: string[] = [];
    const fallback = await startDynamoDbLocal({
      launcher: { cache, javac: 'no-such-javac' },
      warn: (line) => warnings.push(line),
    });
    try {
      expect(warnings).toEqual([NO_JDK_WARNING]);
      expect(NO_JDK_WARNING).not.toContain('\n');
      expect(await accepts('127.0.0.1', fallback.port)).toBe(true);
    } finally {
      await fallback.stop();
    }
  });
});
