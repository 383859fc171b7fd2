// The graph cut under GrabCut: on small random graphs, its cut costs what the cheapest of every possible
// labelling costs, and its source side is the smallest such side (what the residual graph reaches from
// the source), so a faster search that finds the same flow gives the same masks.
import { describe, expect, it } from 'vitest';
import { CutGraph } from '../../../src/engine/segment/classic/maxflow.js';

/** A small deterministic generator (mulberry32), so a failing graph can be built again. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Problem {
  nodes: number;
  terminals: [number, number][];
  edges: [number, number, number][];
}

function problem(seed: number): Problem {
  const next = random(seed);
  const nodes = 3 + Math.floor(next() * 8);
  const terminals = Array.from({ length: nodes }, (): [number, number] => [
    Math.round(next() * 20),
    Math.round(next() * 20),
  ]);
  const edges: [number, number, number][] = [];
  for (let i = 0; i < nodes; i++) {
    for (let j = i + 1; j < nodes; j++) if (next() < 0.5) edges.push([i, j, Math.round(next() * 12)]);
  }
  return { nodes, terminals, edges };
}

/** What a labelling costs (1: source side). */
function cost({ terminals, edges }: Problem, side: (i: number) => number): number {
  let total = 0;
  terminals.forEach(([sinkSide, sourceSide], i) => (total += side(i) ? sourceSide : sinkSide));
  for (const [i, j, w] of edges) if (side(i) !== side(j)) total += w;
  return total;
}

describe('the minimum cut', () => {
  it('costs the least of all labellings, with the smallest source side among the cheapest', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const p = problem(seed);
      const graph = new CutGraph(p.nodes);
      p.terminals.forEach(([sinkSide, sourceSide], i) => graph.addTerminal(i, sinkSide, sourceSide));
      for (const [i, j, w] of p.edges) graph.addEdge(i, j, w);
      const cut = graph.solve();
      const found = cost(p, (i) => cut[i]!);
      let least = Infinity;
      const cheapest: number[] = [];
      for (let bits = 0; bits < 1 << p.nodes; bits++) {
        const c = cost(p, (i) => (bits >> i) & 1);
        if (c < least) cheapest.length = 0;
        if (c <= least) cheapest.push(bits);
        least = Math.min(least, c);
      }
      expect(found, `graph ${seed}`).toBe(least);
      // The smallest source side: every cheapest labelling holds it (min cuts are closed under meet).
      const sourceSide = [...cut].reduce((bits, v, i) => bits | (v << i), 0);
      for (const bits of cheapest) expect(bits & sourceSide, `graph ${seed}`).toBe(sourceSide);
    }
  });
});
