// Minimum s-t cut by Dinic's max-flow algorithm. The graphs here have a few thousand nodes (superpixels)
// and a few tens of thousands of edges, where Dinic's is fast and simple; pixel-level graphs would want
// Boykov-Kolmogorov instead.

export class CutGraph {
  readonly #nodes: number;
  readonly #source: number;
  readonly #sink: number;
  #head: Int32Array;
  #next: number[] = [];
  #to: number[] = [];
  #capacity: number[] = [];

  constructor(nodes: number) {
    this.#nodes = nodes + 2;
    this.#source = nodes;
    this.#sink = nodes + 1;
    this.#head = new Int32Array(this.#nodes).fill(-1);
  }

  /** What it costs for node `i` to end on the sink side, and on the source side. */
  addTerminal(i: number, sinkSideCost: number, sourceSideCost: number): void {
    // Only the difference matters for the cut; keeping the smaller at 0 keeps the flow small. Ending on
    // the sink side cuts the arc from the source, ending on the source side cuts the arc to the sink.
    const shared = Math.min(sinkSideCost, sourceSideCost);
    if (sinkSideCost - shared > 0) this.#addArc(this.#source, i, sinkSideCost - shared, 0);
    if (sourceSideCost - shared > 0) this.#addArc(i, this.#sink, sourceSideCost - shared, 0);
  }

  /** A symmetric edge: cutting it (the two nodes on different sides) costs `weight`. */
  addEdge(i: number, j: number, weight: number): void {
    if (weight > 0) this.#addArc(i, j, weight, weight);
  }

  #addArc(from: number, to: number, capacity: number, reverse: number): void {
    this.#to.push(to);
    this.#capacity.push(capacity);
    this.#next.push(this.#head[from]!);
    this.#head[from] = this.#to.length - 1;
    this.#to.push(from);
    this.#capacity.push(reverse);
    this.#next.push(this.#head[to]!);
    this.#head[to] = this.#to.length - 1;
  }

  /** Runs max-flow; returns, per node, whether it stays on the source side of the minimum cut. */
  solve(): Uint8Array {
    const capacity = Float64Array.from(this.#capacity);
    const to = Int32Array.from(this.#to);
    const next = Int32Array.from(this.#next);
    const level = new Int32Array(this.#nodes);
    const cursor = new Int32Array(this.#nodes);
    const queue = new Int32Array(this.#nodes);
    const epsilon = 1e-9;

    const buildLevels = (): boolean => {
      level.fill(-1);
      level[this.#source] = 0;
      let head = 0;
      let tail = 0;
      queue[tail++] = this.#source;
      while (head < tail) {
        const u = queue[head++]!;
        for (let e = this.#head[u]!; e !== -1; e = next[e]!) {
          const v = to[e]!;
          if (level[v] === -1 && capacity[e]! > epsilon) {
            level[v] = level[u]! + 1;
            // Every node a shortest path to the sink can pass through has its level now (BFS order):
            // the rest would be dead ends for the blocking flow, which finds the same paths without them.
            if (v === this.#sink) return true;
            queue[tail++] = v;
          }
        }
      }
      return false;
    };

    // Iterative depth-first search for blocking flow (recursion could overflow the stack).
    const stack = new Int32Array(this.#nodes);
    const edgeStack = new Int32Array(this.#nodes);
    const augment = (): number => {
      let depth = 0;
      stack[0] = this.#source;
      while (depth >= 0) {
        const u = stack[depth]!;
        if (u === this.#sink) {
          let bottleneck = Infinity;
          for (let d = 0; d < depth; d++) bottleneck = Math.min(bottleneck, capacity[edgeStack[d]!]!);
          for (let d = 0; d < depth; d++) {
            const e = edgeStack[d]!;
            capacity[e] = capacity[e]! - bottleneck;
            capacity[e ^ 1] = capacity[e ^ 1]! + bottleneck;
          }
          return bottleneck;
        }
        let advanced = false;
        for (let e = cursor[u]!; e !== -1; e = next[e]!) {
          const v = to[e]!;
          if (capacity[e]! > epsilon && level[v] === level[u]! + 1) {
            cursor[u] = e;
            edgeStack[depth] = e;
            stack[++depth] = v;
            advanced = true;
            break;
          }
        }
        if (!advanced) {
          cursor[u] = -1;
          level[u] = -1; // dead end for this phase
          depth--;
          if (depth >= 0) {
            const parent = stack[depth]!;
            cursor[parent] = next[cursor[parent]!]!;
          }
        }
      }
      return 0;
    };

    while (buildLevels()) {
      cursor.set(this.#head);
      while (augment() > 0) {
        /* push until blocked */
      }
    }

    // Nodes reachable from the source in the residual graph form the source side of the cut.
    const side = new Uint8Array(this.#nodes);
    let head = 0;
    let tail = 0;
    queue[tail++] = this.#source;
    side[this.#source] = 1;
    while (head < tail) {
      const u = queue[head++]!;
      for (let e = this.#head[u]!; e !== -1; e = next[e]!) {
        const v = to[e]!;
        if (!side[v] && capacity[e]! > epsilon) {
          side[v] = 1;
          queue[tail++] = v;
        }
      }
    }
    return side.subarray(0, this.#nodes - 2);
  }
}
