/** The extension frames byte for byte, as docs/protocol-extensions.md shows them. */
import {
  CAPABILITY,
  decodeExtDownloadReply,
  decodeHello,
  decodeHelloReply,
  encodeExtDownloadReply,
  encodeHello,
  encodeHelloReply,
} from './extension-frames';

const hex = (text: string) => Buffer.from(text.replace(/#.*$/gm, '').replace(/\s+/g, ''), 'hex');

describe('HELLO', () => {
  it("is op 'h', then `wirestate/1` and the capability words, NUL-padded to 256 bytes", () => {
    const frame = encodeHello(CAPABILITY.stored | CAPABILITY.sha256 | CAPABILITY.list);
    expect(frame.length).toBe(256);
    expect(frame.subarray(0, 31)).toEqual(
      hex(`
        68                                # 'h'
        77 69 72 65 73 74 61 74 65 2f 31  # "wirestate/1"
        20 73 74 6f 72 65 64              # " stored"
        20 73 68 61 32 35 36              # " sha256"
        20 6c 69 73 74                    # " list"`),
    );
    expect(frame.subarray(31).every((byte) => byte === 0)).toBe(true);
  });

  it('reads the words back as bits, passing over words it does not know', () => {
    const frame = Buffer.alloc(256);
    frame.write('hwirestate/2 list zstd resume', 'ascii');
    expect(decodeHello(frame)).toEqual({ version: 2, capabilities: CAPABILITY.list | CAPABILITY.resume });
    expect(decodeHello(encodeHello(0))).toEqual({ version: 1, capabilities: 0 });
  });

  it('is no hello when its first word is not wirestate/N', () => {
    const frame = Buffer.alloc(256);
    frame.write('hhello stored', 'ascii');
    expect(decodeHello(frame)).toBeUndefined();
  });
});

describe('HELLO_REPLY', () => {
  it('is h, the version, the agreed bits, the upload limit and the keep time: 16 bytes', () => {
    const reply = { version: 1, capabilities: 7, maxUploadSize: Number.MAX_SAFE_INTEGER, keepPartialSeconds: 0 };
    const frame = encodeHelloReply(reply);
    expect(frame).toEqual(
      hex(`
        68                         # 'h'
        01                         # version 1
        00 07                      # stored + sha256 + list
        ff ff ff ff ff ff ff ff    # no upload size limit
        00 00 00 00                # nothing kept`),
    );
    expect(decodeHelloReply(frame)).toEqual(reply);
    const limited = { version: 1, capabilities: 8, maxUploadSize: 1000, keepPartialSeconds: 3600 };
    expect(decodeHelloReply(encodeHelloReply(limited))).toEqual(limited);
  });
});

describe('DOWNLOAD_REPLY_X', () => {
  it("is 't', the u64 size and the u64 mtime in ms", () => {
    const frame = encodeExtDownloadReply(5, 1701000000000);
    expect(frame).toEqual(hex('74  00 00 00 00 00 00 00 05  00 00 01 8c 0b 80 32 00'));
    expect(decodeExtDownloadReply(frame)).toEqual({ size: 5, mtimeMs: 1701000000000 });
  });
});
