import { strict as assert } from 'node:assert';
import { EventEmitter } from 'node:events';
import { CountingIpcWriter } from '../../src/server/ipcWriter';

// The server's writer over Node's IPC channel (src/server/ipcWriter.ts): it counts the messages
// the channel has not written yet, which background work waits on (slices.ts), and reports
// failures as vscode-jsonrpc's writers do. The channel here is a stand-in whose writes end when
// the test says so; over a real channel the protocol tests run every request
// (test/unit/lsp-protocol.test.ts, "over ipc").

/** A process's IPC side whose sends complete only when `finish` is called, as a full pipe's do. */
class SlowChannel extends EventEmitter {
  readonly sent: unknown[] = [];
  private readonly callbacks: ((error: Error | null) => void)[] = [];

  send(message: unknown, _handle: undefined, _options: undefined, callback: (error: Error | null) => void): boolean {
    if (message === 'unserializable') throw new TypeError('Converting circular structure to JSON');
    this.sent.push(message);
    this.callbacks.push(callback);
    return true;
  }

  /** The oldest pending send completes (with `error` when given). */
  finish(error: Error | null = null): void {
    this.callbacks.shift()!(error);
  }
}

const message = (id: number) => ({ jsonrpc: '2.0', id, result: null });

describe('the IPC writer (src/server/ipcWriter.ts)', () => {
  it('counts the messages handed to the channel until the channel has written each', async () => {
    const channel = new SlowChannel();
    const writer = new CountingIpcWriter(channel);
    assert.equal(writer.unsent, 0);
    await writer.write(message(1));
    await writer.write(message(2));
    assert.deepEqual(channel.sent, [message(1), message(2)]);
    assert.equal(writer.unsent, 2, 'both still being written');
    channel.finish();
    assert.equal(writer.unsent, 1);
    channel.finish();
    assert.equal(writer.unsent, 0, 'all written');
  });

  it('reports a failed send with the message and a running count, and no longer counts it as unsent', async () => {
    const channel = new SlowChannel();
    const writer = new CountingIpcWriter(channel);
    const errors: [Error, unknown, number | undefined][] = [];
    writer.onError((e) => errors.push(e));
    await writer.write(message(1));
    await writer.write(message(2));
    await writer.write(message(3));
    channel.finish(new Error('channel closed'));
    channel.finish(new Error('channel closed'));
    assert.equal(writer.unsent, 1);
    assert.deepEqual(
      errors.map(([e, m, count]) => [e.message, m, count]),
      [
        ['channel closed', message(1), 1],
        ['channel closed', message(2), 2],
      ],
    );
    // A send that succeeds resets the count of failures in a row.
    channel.finish();
    await writer.write(message(4));
    channel.finish(new Error('again'));
    assert.equal(errors[2][2], 1);
    assert.equal(writer.unsent, 0);
  });

  it('rejects a message the channel cannot take, without counting it, and passes on the channel closing', async () => {
    const channel = new SlowChannel();
    const writer = new CountingIpcWriter(channel);
    const errors: Error[] = [];
    let closed = 0;
    writer.onError(([e]) => errors.push(e));
    writer.onClose(() => closed++);
    await assert.rejects(writer.write('unserializable' as never), TypeError);
    assert.equal(writer.unsent, 0);
    assert.equal(errors.length, 1);
    channel.emit('error', new Error('EPIPE'));
    channel.emit('close');
    assert.deepEqual(
      errors.map((e) => e.message),
      ['Converting circular structure to JSON', 'EPIPE'],
    );
    assert.equal(closed, 1);
  });

  it('writes nothing, and counts nothing, in a process without an IPC channel', async () => {
    const endpoint = new EventEmitter();
    const writer = new CountingIpcWriter(endpoint);
    await writer.write(message(1));
    assert.equal(writer.unsent, 0);
  });
});
