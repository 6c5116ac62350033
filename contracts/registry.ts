// Every table and frame contract, in documentation order. Add new declarations here;
// `npm run gen:contracts` regenerates contracts/generated/* and docs/DATA.md.
import type { FrameDecl, TableDecl } from './columns';
import { bronzeFutureMbo, bronzeFutureOptionMbo } from './tables/bronze';
import { catalogDatasets } from './tables/catalog';
import { silverFutureBookSnapshot1s, silverFutureCells1s, silverFutureDepthAndFlow1s, silverOptionDepthAndFlow1s } from './tables/silver';
import { goldFutureFront1s, goldFuturePhysicsSurface1s, goldFutureWallsVoids1s } from './tables/gold';
import { goldFutureForecastFeatures1s } from './tables/forecast';
import { FRAMES } from './frames';

export const TABLES: TableDecl[] = [
  catalogDatasets,
  bronzeFutureMbo,
  silverFutureBookSnapshot1s,
  // The per-cell grid is stored once (cells_1s); depth_and_flow_1s and physics_surface_1s are views over it.
  silverFutureCells1s,
  silverFutureDepthAndFlow1s,
  goldFuturePhysicsSurface1s,
  goldFutureWallsVoids1s,
  goldFutureFront1s,
  goldFutureForecastFeatures1s,
  bronzeFutureOptionMbo,
  silverOptionDepthAndFlow1s,
];

export const FRAME_DECLS: FrameDecl[] = FRAMES;
