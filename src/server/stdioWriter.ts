import { StreamMessageWriter, type ContentTypeEncoder, type Message, type MessageWriter } from 'vscode-languageserver/node';

// The server's writer over stdio (Neovim, Helix, `seqmodel lsp --stdio`): vscode-jsonrpc's own,
// with a faster encoding of each message's JSON into bytes. The library makes the bytes with
// Buffer.from(json, 'utf-8'), which went through a formatting answer's 3 MB of JSON (2 MB of
// `}` lines) at 1-5 ns a character: 3-15 ms of the request, depending on the load. Most JSON the
// server writes is ASCII (the escapes of JSON.stringify keep it so wherever the file is), and
// ASCII is its own UTF-8: then the string is copied as Latin-1, byte for byte (under 1 ms for
// 3 MB). Counting the UTF-8 length first is a native scan of a fraction of a millisecond.

/** JSON in UTF-8, as the library's encoder, with ASCII copied byte for byte. */
export const jsonEncoder: ContentTypeEncoder = {
  name: 'application/json',
  encode: (message: Message) => {
    try {
      const json = JSON.stringify(message);
      return Promise.resolve(Buffer.from(json, Buffer.byteLength(json, 'utf8') === json.length ? 'latin1' : 'utf8'));
    } catch (error) {
      return Promise.reject(error);
    }
  },
};

/** A writer of LSP messages to a stream (the process's stdout) with the encoder above. */
export function stdioWriter(output: NodeJS.WritableStream): MessageWriter {
  return new StreamMessageWriter(output, { charset: 'utf-8', contentTypeEncoder: jsonEncoder });
}
