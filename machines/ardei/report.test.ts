/** What ardei's client makes of a reply: data, an echo, or a refusal (exit 3), whichever server answered. */
import { FILE_PREPARED } from './codec';
import { reportOf, type Reply } from './report';

const tcp = (request: string, reply: string | Buffer, bytes = Buffer.byteLength(reply)): Reply => ({
  request,
  head: Buffer.from(reply),
  bytes,
  transport: 'tcp',
  seconds: 1,
});

it('takes an echo as an answer, and a close with no reply to it as a refusal', () => {
  expect(reportOf(tcp('hello', 'HELLO'))).toEqual({ text: 'HELLO', lost: 0, extra: 0, refused: false });
  expect(reportOf(tcp('hello', ''))).toEqual({ text: '', lost: 0, extra: 0, refused: true });
});

it("takes the server's one-line errors, and the original's silence, as refusals", () => {
  const limit = 'Request for file of 123456791 chars. Server limit is: 123456790 chars.';
  expect(reportOf(tcp('123456791', limit))).toMatchObject({ text: limit, refused: true });
  expect(reportOf(tcp('123456790', ''))).toMatchObject({ text: '', refused: true });
  expect(reportOf(tcp('-5', 'Error: a file size is a positive number of chars'))).toMatchObject({ refused: true });
  expect(reportOf(tcp('-5', 'file_prepared'))).toMatchObject({ text: 'file_prepared', refused: true });
  expect(reportOf(tcp('stream-x', ''))).toMatchObject({ refused: true });
  expect(
    reportOf(tcp('stream-nan-0-5', 'Request for transfer of 0 segments at interval: nan, of size: 5 has errors.')),
  ).toMatchObject({ refused: true });
});

it('reports data with what was lost, never as a refusal', () => {
  expect(reportOf(tcp('1000', Buffer.concat([FILE_PREPARED, Buffer.alloc(10, 'A')]), 13 + 990))).toMatchObject({
    lost: 10,
    refused: false,
  });
  expect(reportOf(tcp('stream-1-0-5', ''))).toMatchObject({ lost: 0, refused: false });
  expect(
    reportOf({ request: '3000', head: Buffer.alloc(1024, 'A'), bytes: 2048, transport: 'udp', seconds: 1 }),
  ).toMatchObject({ lost: 952, refused: false });
});

it('gives a small transfer its rate in a unit that shows it, never 0.0 MiB/s', () => {
  const small = reportOf(tcp('1000', Buffer.concat([FILE_PREPARED, Buffer.alloc(1000, 'A')])));
  expect(small.text).toBe(
    'file of 1000 chars: received 1000 of 1000 bytes, 0 lost (0.0%), in 1.000 s, 1000 B/s (1000 B)',
  );
});
