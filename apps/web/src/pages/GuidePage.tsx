import { CopyBlock } from '../components/CopyBlock';

const origin = typeof window === 'undefined' ? 'http://127.0.0.1:8787' : window.location.origin;

const RUNNER_CURL = `RETRACE_RUNNER_SECRET=dev-secret-0123456789 npm run runner   # port 8788
curl -s localhost:8788/run \\
  -H 'authorization: Bearer dev-secret-0123456789' -H 'content-type: application/json' -d '{
  "messages": [{"role": "user", "content": "create hello.txt:\\n\`\`\`\\nhi\\n\`\`\`\\nrun: cat hello.txt"}],
  "context_variables": {"workspace": "demo/w1", "pattern_block": "",
    "base_prompt": "You are a precise code agent.", "profile": "batch"}
}'
# add -H 'accept: application/x-ndjson' to stream events as they happen`;

const REST_CURL = `P=$(curl -s ${origin}/api/projects -H 'content-type: application/json' -d '{"name":"curl-demo"}' | jq -r .id)
R=$(curl -s ${origin}/api/projects/$P/runs -H 'content-type: application/json' \\
      -d '{"prompt":"run: echo hello from curl"}' | jq -r .id)
curl -N ${origin}/api/runs/$R/stream          # live events (Server-Sent Events)
curl -s ${origin}/api/runs/$R | jq .status
curl -s ${origin}/api/runs/$R/steps | jq '.items[].instruction'
curl -s "${origin}/api/runs/$R/diff?format=patch"
curl -s ${origin}/api/runs/$R/artifacts/codex.jsonl
# with RETRACE_TOKEN set: add -H "authorization: Bearer $RETRACE_TOKEN"`;

const CLIENT = `import { createRetraceClient } from '@retrace/client';

const retrace = createRetraceClient({ url: '${origin}', token: process.env.RETRACE_TOKEN });
const project = await retrace.projects.create.mutate({ name: 'from-code' });
const run = await retrace.runs.create.mutate({ projectId: project.id, prompt: 'run: ls' });
retrace.subscriptions.run.subscribe({ id: run.id }, {
  onData: ({ data }) => console.log(data.type),
});`;

const CLI = `npx retrace projects create demo
npx retrace run demo $'create notes/a.txt:\\n\`\`\`\\nhello\\n\`\`\`\\nrun: cat notes/a.txt'
npx retrace pattern demo#1
npx retrace run demo "Repeat the reference workflow, replacing notes/a.txt with notes/b.txt" --learn-from 1 --from 1
npx retrace show demo#2`;

const PLAN = `create notes/a.txt:
\`\`\`
hello
\`\`\`
edit notes/a.txt: replace "hello" with "hello world"
run: cat notes/a.txt
delete old.txt
fail: stop here with this reason`;

export function GuidePage() {
  return (
    <section className="guide">
      <h1>Testing guide</h1>
      <h2>Models: offline, or OpenAI</h2>
      <p>
        Without <code>OPENAI_API_KEY</code>, Retrace runs its <strong>offline model</strong>: a deterministic
        simulator that stands in for OpenAI&apos;s models. It is not an LLM. It follows plans written in the
        prompt, one instruction per line, and drives the real Codex CLI with them, so every part of Retrace
        works with no key and no network. For real models, stop the server and start it with a key (Codex uses
        the same key):
      </p>
      <CopyBlock
        label="start with OpenAI"
        code={'OPENAI_API_KEY=sk-… npm start\n# optional: RETRACE_AGENT_MODEL=… RETRACE_CODEX_MODEL=…'}
      />
      <p>
        Retrace gives Codex a home of its own (<code>&lt;data dir&gt;/codex-home</code>) and your key, so a{' '}
        <code>codex login</code> in your own <code>~/.codex</code> is neither needed nor read. To check the
        key with Codex alone first, sign Codex in with it and ask for one answer:
      </p>
      <CopyBlock
        label="sign Codex in with the key"
        code={
          "printenv OPENAI_API_KEY | npx codex login --with-api-key\nnpx codex exec 'Say hello in one word'"
        }
      />
      <h2>The offline model&apos;s plan lines</h2>
      <CopyBlock label="plan lines" code={PLAN} />
      <p>
        To see learning at work: run a plan, then start a run that <em>learns from</em> it with the prompt{' '}
        <code>Repeat the reference workflow, replacing notes/a.txt with notes/b.txt</code>. The offline model
        replays the injected <code>&lt;reference_workflow&gt;</code> with the new values; without it, the same
        prompt fails.
      </p>
      <h2>The runner&apos;s POST /run</h2>
      <CopyBlock label="runner curl" code={RUNNER_CURL} />
      <h2>REST routes</h2>
      <CopyBlock label="REST curl" code={REST_CURL} />
      <h2>The typed client</h2>
      <CopyBlock label="typed client" code={CLIENT} />
      <h2>The CLI</h2>
      <CopyBlock label="CLI" code={CLI} />
    </section>
  );
}
