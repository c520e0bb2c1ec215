import { describe, expect, it } from 'vitest';
import { CELL_GRAMMAR, CELL_HEADER, parseCell, printCell, SEED_CELL } from '@llmatic/nasbench201';
import { gbnfToRegExp } from './helpers/gbnf.js';
import { allOps } from './helpers/tables.js';

const grammar = gbnfToRegExp(CELL_GRAMMAR);

describe('CELL_GRAMMAR (GBNF)', () => {
  it('accepts the canonical program of every one of the 15,625 cells, with or without header', () => {
    for (const ops of allOps()) {
      expect(grammar.test(`${printCell(ops)}\n`)).toBe(true);
      expect(grammar.test(printCell(ops, { header: false }))).toBe(true);
    }
    expect(grammar.test(SEED_CELL)).toBe(true);
  });

  it('accepts explicit none terms, and everything it accepts parses', () => {
    const explicit = 'node1 = none(node0)\nnode2 = none(node0) + none(node1)\nnode3 = none(node0) + skip(node1) + none(node2)\n';
    expect(grammar.test(explicit)).toBe(true);
    expect(parseCell(explicit).ok).toBe(true);
  });

  it('rejects what the parser rejects: later-node edges, duplicate edges, unknown ops, missing or extra lines', () => {
    const bad = [
      'node1 = conv3x3(node1)\nnode2 = skip(node0)\nnode3 = skip(node2)',
      'node1 = conv3x3(node0)\nnode2 = skip(node0) + skip(node0)\nnode3 = skip(node2)',
      'node1 = conv5x5(node0)\nnode2 = skip(node0)\nnode3 = skip(node2)',
      'node1 = conv3x3(node0)\nnode3 = skip(node2)',
      'node1 = conv3x3(node0)\nnode2 = skip(node0)\nnode3 = skip(node2)\nnode4 = skip(node3)',
      'node2 = skip(node0)\nnode1 = conv3x3(node0)\nnode3 = skip(node2)',
      `${CELL_HEADER}\nnode1 = conv3x3(node0)\nnode2 = skip(node1) + skip(node0)\nnode3 = skip(node2)`,
    ];
    for (const text of bad) expect(grammar.test(text), text).toBe(false);
  });

  it('is valid GBNF for llama.cpp', async (context) => {
    let llama: { createGrammar(o: { grammar: string }): Promise<unknown>; dispose(): Promise<void> };
    try {
      const { getLlama } = await import('node-llama-cpp');
      llama = await getLlama({ gpu: false, build: 'never', progressLogs: false });
    } catch (error) {
      console.warn(`skipping the llama.cpp grammar check: node-llama-cpp cannot load here (${(error as Error).message})`);
      context.skip();
      return;
    }
    try {
      await expect(llama.createGrammar({ grammar: CELL_GRAMMAR })).resolves.toBeDefined();
      await expect(llama.createGrammar({ grammar: 'root ::= "a" (' })).rejects.toThrow();
    } finally {
      await llama.dispose();
    }
  });
});
