import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';

/** A Redis the tests may use: its URL, and a unique key prefix per test so tests never see each other's jobs. */
export interface TestRedis {
  url: string;
  /** A prefix no other test uses; `cleanUp` deletes every key under the prefixes it handed out. */
  newPrefix(): string;
  cleanUp(): Promise<void>;
}

/** Why Redis tests are skipped, or undefined when a Redis is (or can be made) available. */
export let redisUnavailableReason: string | undefined;

function canConnect(port: number, host = '127.0.0.1', timeoutMilliseconds = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (result: boolean): void => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMilliseconds, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export function redisServerInstalled(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** A `redis-server` this test owns: it can be killed and started again on the same port. */
export class OwnRedisServer {
  private process: ChildProcess | undefined;
  private readonly directory = mkdtempSync(path.join(tmpdir(), 'docent-redis-'));

  private constructor(
    readonly port: number,
    /** Append-only file with fsync on every write: what a queue that must survive a Redis restart needs. */
    private readonly persistent: boolean,
  ) {}

  static async start(options: { persistent?: boolean } = {}): Promise<OwnRedisServer> {
    const server = new OwnRedisServer(await freePort(), options.persistent ?? false);
    await server.restart();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts (again) on the same port and data directory, and waits until it accepts connections. */
  async restart(): Promise<void> {
    const persistence = this.persistent ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
    this.process = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', ...persistence, '--dir', this.directory], { stdio: 'ignore' });
    for (let waited = 0; waited < 10_000; waited += 50) {
      if (await canConnect(this.port)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`redis-server on port ${this.port} did not start`);
  }

  /** SIGKILL: no shutdown save, as a crash or an OOM kill would be. */
  async kill(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.directory, { recursive: true, force: true });
  }
}

/**
 * The development machine's Redis at 127.0.0.1:6379 when it answers, else a
 * `redis-server` started here on a free port (no persistence), else undefined with
 * `redisUnavailableReason` set so the suite can skip with a clear message.
 */
export async function testRedis(): Promise<TestRedis | undefined> {
  let own: OwnRedisServer | undefined;
  let url = 'redis://127.0.0.1:6379';
  if (!(await canConnect(6379))) {
    if (!redisServerInstalled()) {
      redisUnavailableReason = 'no Redis answers at 127.0.0.1:6379 and redis-server is not installed';
      return undefined;
    }
    own = await OwnRedisServer.start();
    url = own.url;
  }
  const prefixes: string[] = [];
  return {
    url,
    newPrefix() {
      const prefix = `docent-test-${randomBytes(6).toString('hex')}`;
      prefixes.push(prefix);
      return prefix;
    },
    async cleanUp() {
      const client = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
      client.on('error', () => undefined);
      try {
        await client.connect();
        for (const prefix of prefixes) {
          let cursor = '0';
          do {
            const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
            if (keys.length > 0) await client.del(...keys);
            cursor = next;
          } while (cursor !== '0');
        }
      } finally {
        client.disconnect();
        await own?.stop();
      }
    },
  };
}
