import { WirestateError } from '../../src/storage/errors';
import {
  OP,
  STATUS,
  decodeDownloadReply,
  decodeName,
  decodeRequest,
  decodeUploadSize,
  encodeDownloadReply,
  encodeRequest,
  encodeStatus,
  encodeUploadSize,
} from './frames';

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');

describe('REQUEST', () => {
  it('is the op byte then the UTF-8 name, NUL-padded to 256 bytes', () => {
    const frame = encodeRequest(OP.download, 'a.txt');
    expect(frame.length).toBe(256);
    expect(frame.subarray(0, 6)).toEqual(hex('44 612e747874')); // 'D' 'a.txt'
    expect(frame.subarray(6).every((byte) => byte === 0)).toBe(true); // padding
  });

  it('round-trips names of 1 and 255 bytes, and multi-byte UTF-8', () => {
    for (const name of ['x', 'n'.repeat(255), 'résumé-文件.txt']) {
      expect(decodeRequest(encodeRequest(OP.upload, name))).toEqual({ op: OP.upload, name: { ok: true, name } });
    }
  });

  it('refuses names the frame cannot carry, with stable codes', () => {
    const codeOf = (name: string) => {
      try {
        encodeRequest(OP.download, name);
        return 'accepted';
      } catch (error) {
        return (error as WirestateError).code;
      }
    };
    expect(codeOf('')).toBe('name.empty');
    expect(codeOf('n'.repeat(256))).toBe('name.too_long');
    expect(codeOf('a\0b')).toBe('name.nul');
  });
});

describe('name field as the original server reads it', () => {
  const field = (bytes: Buffer) => {
    const padded = Buffer.alloc(255);
    bytes.copy(padded);
    return decodeName(padded);
  };

  it('trims surrounding ASCII white space, and only that', () => {
    expect(field(Buffer.from('  speech.txt \t'))).toEqual({ ok: true, name: 'speech.txt' });
    expect(field(Buffer.from('\r\n\v\fup.bin\n'))).toEqual({ ok: true, name: 'up.bin' });
    expect(field(Buffer.from('\u00a0up.bin'))).toEqual({ ok: true, name: '\u00a0up.bin' }); // NO-BREAK SPACE is not ASCII
  });

  it('removes every NUL byte, inside the name too, before trimming', () => {
    expect(field(hex('75 70 00 2e 62 69 6e'))).toEqual({ ok: true, name: 'up.bin' }); // 'up' NUL '.bin'
    expect(field(hex('00 20 61 00 20 00'))).toEqual({ ok: true, name: 'a' }); // NUL ' a' NUL ' ' NUL
  });

  it('refuses invalid UTF-8 and blank names', () => {
    expect(field(hex('ff fe'))).toEqual({ ok: false, code: 'name.encoding', shown: '\ufffd\ufffd' });
    expect(field(Buffer.from('   '))).toEqual({ ok: false, code: 'name.empty' });
    expect(decodeName(Buffer.alloc(255))).toEqual({ ok: false, code: 'name.empty' });
  });
});

describe('DOWNLOAD_REPLY', () => {
  it('is the status then a big-endian u64 size', () => {
    expect(encodeDownloadReply(STATUS.yes, 1_000_000)).toEqual(hex('54 00000000000f4240')); // 'T' 1000000
    expect(encodeDownloadReply(STATUS.no, 0)).toEqual(hex('46 0000000000000000')); // 'F' 0
  });

  it('round-trips sizes up to 2^53 - 1 and saturates above', () => {
    for (const size of [0, 1, 2 ** 32 + 5, Number.MAX_SAFE_INTEGER]) {
      expect(decodeDownloadReply(encodeDownloadReply(STATUS.yes, size))).toEqual({ status: STATUS.yes, size });
    }
    expect(decodeDownloadReply(hex('54 ffffffffffffffff')).size).toBe(Number.MAX_SAFE_INTEGER);
  });
});

describe('UPLOAD_SIZE and the one-byte frames', () => {
  it('UPLOAD_SIZE is a big-endian u64', () => {
    expect(encodeUploadSize(258)).toEqual(hex('0000000000000102'));
    expect(decodeUploadSize(encodeUploadSize(64 * 1024 * 1024))).toBe(64 * 1024 * 1024);
  });

  it('status frames are the letter itself', () => {
    expect(encodeStatus(STATUS.yes)).toEqual(Buffer.from('T'));
    expect(encodeStatus(STATUS.no)).toEqual(Buffer.from('F'));
    expect(encodeStatus(STATUS.error)).toEqual(Buffer.from('E'));
  });
});
