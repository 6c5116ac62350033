import type { FrameDecl } from './columns';

// Arrow IPC frames sent from the engine to the window (SPEC §6). Each frame is one record
// batch; its columns are declared here once and generated into contracts/generated/arrow.ts.
export const FRAMES: FrameDecl[] = [];
