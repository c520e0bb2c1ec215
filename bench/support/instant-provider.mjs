// An LLM that answers at once with an edited parent cell (bench scaffolding, not a product
// provider): NAS-Bench-201 runs whose time is the kernel's and the evaluator's, not an LLM's.
import { Rng } from '@llmatic/core';
import { mutateOps, parseCell, printCell } from '@llmatic/nasbench201';

export function instantProvider() {
  let calls = 0;
  return {
    name: 'instant',
    model: 'instant',
    async generate(request) {
      const text = request.messages?.map((m) => m.content).join('\n') ?? request.prompt ?? '';
      const block = /```[a-z]*\n([\s\S]*?)```/.exec(text);
      const parsed = parseCell(block?.[1] ?? '');
      const ops = parsed.ok ? [...parsed.cell.ops] : ['skip_connect', 'none', 'skip_connect', 'none', 'none', 'skip_connect'];
      const child = mutateOps(ops, Rng.derive(0, 'bench', calls++));
      return { text: `\`\`\`python\n${printCell(child)}\n\`\`\``, usage: { promptTokens: 100, completionTokens: 40 }, model: 'instant' };
    },
  };
}
