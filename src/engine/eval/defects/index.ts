// The defect metrics of issue 10, point 7 (QUALITY.md, "What these numbers miss").
export { carriedRing, type CarriedRing } from './carried-ring.js';
export { holeTexture, type HoleTexture } from './hole-texture.js';
export { holeRim, type HoleRim } from './hole-rim.js';
export { inventedLights, type InventedLights } from './invented-lights.js';
export { intrusion, type Intrusion } from './intrusion.js';
export { ghosting, type Ghosting } from './ghost.js';
export { edgeSeam, type EdgeSeam } from './edge-seam.js';
export { folding, type Folding } from './fold.js';
export { edgeMirror, type EdgeMirror } from './edge-mirror.js';
export { FlowSeries, TEMPO_RANGES } from './tempo.js';
export { stairSteps, type StairSteps } from './stair-steps.js';
export { renderedStairSteps, type RenderedStairSteps } from './rendered-edge.js';
export { maskIou } from './iou.js';
export { keptOutMoved } from './kept-out.js';
export { gradientEnergy, localVariance, signedDistance } from './texture.js';
export { ClipDefects, type DefectRegionInput, type DefectRegionResult } from './measure.js';
export { DEFECT_TARGETS, defectFailures, formatDefectTable } from './report.js';
export { spill, SPILL_BANDS, type Spill } from './spill.js';
