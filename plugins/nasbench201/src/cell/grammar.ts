import { CELL_OP_LIST } from './ops.js';

const op = CELL_OP_LIST.map((name) => `"${name}"`).join(' | ');

/**
 * GBNF grammar (llama.cpp) of a canonical-style cell reply: an optional comment line, then
 * node1, node2 and node3 in order, each a sum of `op(nodeJ)` terms over earlier nodes in
 * increasing order, every edge at most once. Every string it accepts parses with `parseCell`.
 */
export const CELL_GRAMMAR = `root ::= comment? node1 node2 node3
comment ::= "#" [^\\n]* "\\n"
node1 ::= "node1 = " t0 "\\n"
node2 ::= "node2 = " (t0 (" + " t1)? | t1) "\\n"
node3 ::= "node3 = " (t0 (" + " t1)? (" + " t2)? | t1 (" + " t2)? | t2) "\\n"?
t0 ::= op "(node0)"
t1 ::= op "(node1)"
t2 ::= op "(node2)"
op ::= ${op}
`;
