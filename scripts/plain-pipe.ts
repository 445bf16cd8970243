/**
 * The plainest Node.js file transfer over TCP, the baseline `npm run bench`
 * compares wirestate against: a read stream piped into a socket, a socket
 * piped into a write stream, nothing else. The servers listen on a port the
 * OS chooses and print it (`listening on 127.0.0.1:PORT`).
 *
 *   plain-pipe serve FILE          send FILE to each connection (download side)
 *   plain-pipe fetch PORT OUT      receive into OUT, exit when it is written
 *   plain-pipe accept OUT          receive each connection into OUT, print "done" after each
 *   plain-pipe push PORT FILE      send FILE, exit when sent
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';

const [mode, ...rest] = process.argv.slice(2);

function announce(server: Server): void {
  server.listen(0, '127.0.0.1', () => console.log(`listening on 127.0.0.1:${(server.address() as AddressInfo).port}`));
}

if (mode === 'serve') {
  announce(createServer((socket) => createReadStream(rest[0]).pipe(socket)));
} else if (mode === 'accept') {
  announce(createServer((socket) => socket.pipe(createWriteStream(rest[0])).on('finish', () => console.log('done'))));
} else if (mode === 'fetch') {
  const socket = connect(Number(rest[0]), '127.0.0.1', () => socket.pipe(createWriteStream(rest[1])));
} else if (mode === 'push') {
  const socket = connect(Number(rest[0]), '127.0.0.1', () => createReadStream(rest[1]).pipe(socket));
} else {
  console.error('usage: plain-pipe serve FILE | fetch PORT OUT | accept OUT | push PORT FILE');
  process.exit(2);
}
