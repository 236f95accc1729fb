// The whole plugin-runner suite again, with plugins forked by spawner processes (as `steward
// serve` runs them) instead of by the test process: same results, same timeouts and kills.
import './helpers/use-plugin-spawner-pool.ts';
import './plugin-runner.test.ts';
