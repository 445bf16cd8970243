/** The `wirestate` command's help and shell completion as a person meets them: every command listed, scripts for bash and zsh. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../engine/exit-codes';
import { expectOneLine } from '../test-support/one-line';
import { CLI, run, wirestate, type Finished } from '../test-support/processes';

describe('help and usage', () => {
  it.each([['-?'], ['--usage'], ['--help']])('client %s prints the seed flags and exits 0', async (flag) => {
    const result = await wirestate(['client', flag]);
    expect(result.code).toBe(0);
    for (const option of ['--mode', '--server', '--server-file-name', '--client-file-name', '--debug', '--quiet']) {
      expect(result.stdout).toContain(option);
    }
  });

  const everyCommand = [
    'server',
    'client',
    'transfer server',
    'transfer client',
    'queue server',
    'queue client',
    'upper server',
    'upper client',
    'sum server',
    'sum client',
    'blocks server',
    'blocks client',
    'share server',
    'share client',
    'ardei server',
    'ardei client',
    'serve-all',
    'proxy',
    'replay',
  ];
  // Each command's -h, run once and read by the tests below (-h is --help: 'client %s' shows the aliases agree).
  const helps = new Map<string, Finished>();
  beforeAll(async () => {
    for (const command of everyCommand) helps.set(command, await wirestate([...command.split(' '), '-h']));
  }, 120_000);

  it.each(everyCommand)("%s -h prints its usage and exits 0, as the seeds' -h, --help", (command) => {
    const result = helps.get(command)!;
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^wirestate ${command}\\b`));
    expect(result.stdout).toMatch(/-h, -\?, --help/);
  });

  // Every port is read as typed (server-port-argument.ts), a string to yargs: --help showed the clients' as [string].
  it.each([
    ['upper client', /--port +Server port +\[number\]/],
    ['ardei client', /--port +Server port +\[number\]/],
    ['queue client', /port +Server port +\[number\] \[required\]/],
    ['share client', /port +Server port +\[number\] \[required\]/],
    ['server', /-l, --listen-port +TCP port to listen on +\[number\]/],
    ['queue server', /port +Port to listen on +\[number\] \[required\]/],
    ['upper server', /port +Port to listen on +\[number\]/],
  ])('%s -h shows its port as a [number]', (command, line) => {
    const { stdout } = helps.get(command)!;
    expect(stdout).toMatch(line);
    expect(stdout).not.toMatch(/port .*\[string\]/);
  });

  it("-d says what it logs for the command at hand: state transitions, or the proxy's fragments", () => {
    expect(helps.get('client')!.stdout).toMatch(/-d, --debug +Debug logging: every state transition +\[/);
    expect(helps.get('client')!.stdout).not.toMatch(/fragment/);
    expect(helps.get('proxy')!.stdout).toMatch(/-d, --debug +Debug logging: every fragment +\[/);
  });

  it('--help lists every command with one line each, and exits 0', async () => {
    const { code, stdout } = await wirestate(['--help']);
    expect(code).toBe(0);
    const commands = stdout.split('\n').filter((line) => /^\s+wirestate \S/.test(line));
    expect(commands.map((line) => line.trim().split(/\s+/)[1])).toEqual([
      'server',
      'client',
      'transfer',
      'queue',
      'upper',
      'sum',
      'blocks',
      'share',
      'ardei',
      'serve-all',
      'proxy',
      'replay',
      'completion',
    ]);
    for (const line of commands) expect(line.trim()).toMatch(/^wirestate \S+(\s+(<\w+>|\[\w+\]))?\s{2,}\S/);
    // The seeds' numbers mean nothing to a newcomer: the help names what each command does (every other command's
    // help is read for them in help-examples.e2e.test.ts, which runs each once).
    expect(stdout).not.toMatch(/seed \d/);
  });

  it('completion prints a shell script, and completes command names', async () => {
    const script = await wirestate(['completion']);
    expect(script.code).toBe(0);
    expect(script.stdout).toContain('--get-yargs-completions');
    const roles = await wirestate(['--get-yargs-completions', 'queue', '']);
    expect(roles.stdout.split('\n')).toEqual(expect.arrayContaining(['server', 'client']));
  });

  it("completion zsh and completion bash print that shell's script, whatever $SHELL says", async () => {
    expect(await wirestate(['completion', 'zsh'])).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^#compdef wirestate$/m),
    });
    const bash = await wirestate(['completion', 'bash']);
    expect(bash).toMatchObject({ code: 0, stdout: expect.stringMatching(/^complete -o bashdefault/m) });
    expect(bash.stdout).not.toMatch(/compdef/);
  });

  it('completion --help is its help, and a shell or a flag it does not know is one line, exit 2', async () => {
    const help = await wirestate(['completion', '--help']);
    expect(help).toMatchObject({ code: 0, stdout: expect.stringMatching(/^wirestate completion \[shell\]/) });
    expect(help.stdout).not.toMatch(/get-yargs-completions/);
    expectOneLine(
      await wirestate(['completion', 'fish']),
      EXIT.usage,
      /^wirestate: fish is not supported: completion scripts exist for bash and zsh; see --help$/m,
    );
    // Before, $SHELL naming another shell printed the bash script, exit 0.
    expectOneLine(
      await run(process.execPath, [CLI, 'completion'], {
        env: { ...process.env, SHELL: '/usr/bin/fish', ZSH_NAME: '' },
      }),
      EXIT.usage,
      /^wirestate: \$SHELL is \/usr\/bin\/fish, which is not supported: completion scripts exist for bash and zsh \(wirestate completion bash\); see --help$/m,
    );
    expectOneLine(
      await wirestate(['completion', 'bash', '--bogus']),
      EXIT.usage,
      /^wirestate: unknown option --bogus; see --help$/m,
    );
  });

  it('completing a long flag offers long names only, not a short alias behind --', async () => {
    const flags = (await wirestate(['--get-yargs-completions', 'server', '--'])).stdout.split('\n');
    expect(flags).toEqual(expect.arrayContaining(['--debug', '--root']));
    expect(flags.filter((flag) => /^--[^-]$/.test(flag))).toEqual([]);
  });

  it('completing a flag that is on by default offers the form that turns it off: --no-verify', async () => {
    const flags = (await wirestate(['--get-yargs-completions', 'client', '--'])).stdout.split('\n');
    expect(flags).toContain('--no-verify');
    expect(flags).not.toContain('--verify');
  });

  // bash's completion script and a `wirestate` on PATH that runs it, made once for the TAB presses below.
  let bashScript: string;
  let bin: string;
  beforeAll(async () => {
    bashScript = (await wirestate(['completion', 'bash'])).stdout;
    bin = await mkdtemp(join(tmpdir(), 'wirestate-completion-'));
    await writeFile(join(bin, 'wirestate'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`, { mode: 0o755 });
  });
  afterAll(() => rm(bin, { recursive: true, force: true }));

  // Through bash's own script, as a TAB press runs it. Before: `-l <TAB>` and `replay <TAB>` offered flags (no file
  // names), `--log-format <TAB>` command names, `completion <TAB>` nothing.
  it.each([
    ['client -l ', ''],
    ['replay ', ''],
    ['server --root ', ''],
    ['--log-format ', 'pretty json'],
    ['client --log-format j', 'json'],
    ['completion ', 'bash zsh'],
    ['queue ', 'server client'],
  ])('bash: "wirestate %s<TAB>" offers "%s" (nothing: the shell completes file names)', async (typed, offered) => {
    const line = `wirestate ${typed}`;
    const press = `${bashScript}\nCOMP_WORDS=(${line
      .split(' ')
      .map((word) => `'${word}'`)
      .join(' ')}); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _wirestate_yargs_completions; echo "\${COMPREPLY[*]}"`;
    const result = await run('bash', ['-c', press], {
      env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` },
    });
    expect(result.stdout.trim()).toBe(offered);
  });
});
