// The runner library's front door: what the composition roots (the server, the runner app)
// use to make a runner, serve its router and reach it in process or over HTTP.
export { createHttpRunnerClient } from './clients/http';
export { createLocalRunnerClient } from './clients/local';
export type { RunnerModels } from './models';
export { type RunnerRouter, runnerRouter } from './router';
export { createRunner, type Runner } from './runner';
