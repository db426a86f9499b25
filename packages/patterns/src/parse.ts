import { STEP_KINDS, type StepKind } from '@retrace/protocol';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { PatternVariable } from './types';

export interface ParsedWorkflow {
  task?: string;
  steps: Array<{ n: number; kind: StepKind; instruction: string; why?: string }>;
  variables: PatternVariable[];
  pitfalls: string[];
}

const parser = new XMLParser({
  ignoreAttributes: false,
  // Prefixed: the root's steps="n" attribute must not collide with its <steps> element.
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  textNodeName: '#text',
  isArray: (name) => name === 'step' || name === 'var' || name === 'pitfall',
});

type Node = Record<string, unknown> & { '#text'?: string };

const text = (node: unknown): string =>
  typeof node === 'string'
    ? node
    : typeof node === 'object' && node !== null
      ? ((node as Node)['#text'] ?? '')
      : '';

/** Finds the first `<reference_workflow …>…</reference_workflow>` in a larger text (a system prompt). */
export function findReferenceWorkflow(input: string): string | null {
  const match = /<reference_workflow[\s>][\s\S]*?<\/reference_workflow>/.exec(input);
  return match ? match[0] : null;
}

/** Reads a block back: its task, steps (instruction text exactly as extracted) and variables. */
export function parseReferenceWorkflow(block: string): ParsedWorkflow {
  const valid = XMLValidator.validate(block);
  if (valid !== true) {
    throw new Error(
      `malformed <reference_workflow> block: ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`,
    );
  }
  const document = parser.parse(block) as { reference_workflow?: Node };
  const root = document.reference_workflow;
  if (root === undefined || typeof root !== 'object') {
    throw new Error('malformed <reference_workflow> block: the root element must be <reference_workflow>');
  }
  const steps = ((root.steps as Node | undefined)?.step as unknown[] | undefined) ?? [];
  const variables = ((root.variables as Node | undefined)?.var as unknown[] | undefined) ?? [];
  const pitfalls = ((root.pitfalls as Node | undefined)?.pitfall as unknown[] | undefined) ?? [];
  const task = text(root.task);
  return {
    ...(task ? { task } : {}),
    steps: steps.map((node, i) => {
      const attributes = (typeof node === 'object' && node !== null ? node : {}) as Record<string, string>;
      const kind = attributes['@_kind'] as StepKind;
      if (!STEP_KINDS.includes(kind))
        throw new Error(`malformed <reference_workflow> block: step ${i + 1} has kind "${kind}"`);
      return {
        n: Number(attributes['@_n'] ?? i + 1),
        kind,
        instruction: text(node),
        ...(attributes['@_why'] ? { why: attributes['@_why'] } : {}),
      };
    }),
    variables: variables.map((node) => {
      const attributes = (typeof node === 'object' && node !== null ? node : {}) as Record<string, string>;
      return {
        name: attributes['@_name'] ?? '',
        kind: attributes['@_kind'] as PatternVariable['kind'],
        value: text(node),
      };
    }),
    pitfalls: pitfalls.map(text),
  };
}
