// Graphs of every stored series, per environment → role → host (src/web/dashboard serves them).
export {
  type DerivedLineRequest,
  derivedPoints,
  formulaInputs,
  type LineFormula,
  parseDerivedLine,
} from './derived-lines.ts';
export { type GraphTree, graphTree, NO_ROLE } from './graph-tree.ts';
export { type GraphDef, type GraphLine, hostGraphs, MAX_LINES, ROLE_GRAPHS } from './host-graphs.ts';
export { type GraphPoint, perSecond } from './rate.ts';
