/** An IPv6 host is printed as `-s` takes it, in brackets. Before: "cannot connect to ::1:50001". */
import { EXIT } from '../engine/exit-codes';
import { freePort, wirestate } from '../test-support/processes';

it('client -s [::1]:PORT with nothing listening: "cannot connect to [::1]:PORT", exit 6', async () => {
  const port = await freePort();
  const result = await wirestate(['client', '-s', `[::1]:${port}`, '-v', 'speech.txt', '-l', '-', '--plain']);
  expect(result.code).toBe(EXIT.cannotConnect);
  expect(result.stderr).toMatch(new RegExp(`^wirestate client: cannot connect to \\[::1\\]:${port}: `, 'm'));
});
