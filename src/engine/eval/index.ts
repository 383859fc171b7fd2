// Measuring animations (QUALITY.md): `stir eval` runs runEval and prints formatEvalTable.
export { runEval, formatEvalTable, scenesFor, EVAL_TARGETS } from './run.js';
export type { EvalReport, EvalRow, EvalOptions, EvalRegionResult, EvalSweepPoint } from './run.js';
export * from './metrics.js';
export { SCENES, regionShape, type Scene, type SceneRegion } from './scenes.js';
export { HARD_SCENES } from './scenes-hard.js';
export * from './defects/index.js';
export { rasterize, type SceneShape } from './shapes.js';
export { runPeopleEval, formatPeopleTable, PEOPLE_TARGETS } from './people/run.js';
export type { PeopleEvalReport, PeopleEvalRow } from './people/run.js';
export { runSelectionEval, formatSelectionTable, selectionCases } from './selection.js';
export type { SelectionCase, SelectionReport, SelectionRow } from './selection.js';
