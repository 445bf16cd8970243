import { inspectorBench } from '../test-support/inspector-bench';
const bench = inspectorBench();
it('x', async () => { await bench.page.goto(bench.inspectorUrl); });
