// What `npm run bench` times on its own, beside whole runs: the direct `codex exec` baseline
// and the workspace fork, also on a loop-mounted XFS or btrfs. Not the runner's API: the API and the runner app use the front door.
export { codexBinary } from './codex/binary';
export { codexArgs, prepareCodexHome } from './codex/config';
export { type LoopFileSystem, loopMountUnavailable, mountLoopImage } from './test/loop-mount';
export { type ForkStrategy, forkWorkspace, prepareWorkspace } from './workspace/index';
