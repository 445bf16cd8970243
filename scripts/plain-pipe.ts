/**
 * The plainest Node.js file transfer over TCP, the baseline `npm run bench`
 * compares wirestate against: a read stream piped into a socket, a socket
 * piped into a write stream, nothing else.
 *
 *   plain-pipe serve PORT FILE    send FILE to each connection (download side)
 *   plain-pipe fetch PORT OUT     receive into OUT, exit when it is written
 *   plain-pipe accept PORT OUT    receive one connection into OUT, print "done"
 *   plain-pipe push PORT FILE     send FILE, exit when sent
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { connect, createServer } from 'node:net';

const [mode, portText, path] = process.argv.slice(2);
const port = Number(portText);

if (mode === 'serve') {
  createServer((socket) => createReadStream(path).pipe(socket)).listen(port, '127.0.0.1', () => console.log('listening'));
} else if (mode === 'accept') {
  const server = createServer((socket) =>
    socket.pipe(createWriteStream(path)).on('finish', () => {
      console.log('done');
      server.close();
    }),
  ).listen(port, '127.0.0.1', () => console.log('listening'));
} else if (mode === 'fetch') {
  connect(port, '127.0.0.1', function (this: import('node:net').Socket) {
    this.pipe(createWriteStream(path));
  });
} else if (mode === 'push') {
  const socket = connect(port, '127.0.0.1', () => createReadStream(path).pipe(socket));
} else {
  console.error('usage: plain-pipe serve|fetch|accept|push PORT PATH');
  process.exit(2);
}
