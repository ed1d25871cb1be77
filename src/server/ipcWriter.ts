import { AbstractMessageWriter, type Message, type MessageWriter } from 'vscode-languageserver/node';

// The server's writer over Node's IPC channel (how the VS Code extension runs it), which also
// knows how many of its messages are not sent yet. vscode-jsonrpc's own IPCMessageWriter gives
// no such count, and the server needs one: background work (an analysis) waits while an answer
// is still being written (slices.ts, waitForAnswers), or a 3 MB formatting answer, leaving the
// channel a pipe-full per turn of the event loop, is held back by an analysis slice in every
// turn. Over stdio the count is the stream's writableLength; here it is the sends whose
// callback has not fired: Node calls it once the message is written to the channel.

/** What the writer needs of a process with an IPC channel: `process` itself, or a test's stand-in. */
export interface IpcEndpoint {
  send?(message: unknown, sendHandle: undefined, options: undefined, callback: (error: Error | null) => void): boolean;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
}

export class CountingIpcWriter extends AbstractMessageWriter implements MessageWriter {
  /** Messages handed to the channel and not yet written to it. */
  unsent = 0;
  private errorCount = 0;

  constructor(private readonly endpoint: IpcEndpoint) {
    super();
    endpoint.on('error', (error) => this.fireError(error));
    endpoint.on('close', () => this.fireClose());
  }

  write(message: Message): Promise<void> {
    const { endpoint } = this;
    // No channel (the process was not started with one): nothing to write to, as the library's writer.
    if (typeof endpoint.send !== 'function') return Promise.resolve();
    this.unsent++;
    try {
      endpoint.send(message, undefined, undefined, (error) => {
        this.unsent--;
        if (error) this.fireError(error, message, ++this.errorCount);
        else this.errorCount = 0;
      });
    } catch (error) {
      // Thrown before the send was queued (a message Node cannot serialize): its callback never comes.
      this.unsent--;
      this.fireError(error, message, ++this.errorCount);
      return Promise.reject(error);
    }
    return Promise.resolve();
  }

  end(): void {}
}
