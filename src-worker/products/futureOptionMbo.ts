// future_option_mbo: the options on a futures underlying. Declared (its tables, so the product
// list and the wire ids are complete) but not built yet: its engine — thousands of thin books
// behind book/'s depth interface, bucketed by strike — comes with the option books. Until
// then no ingest selects it (createEngine null).
import { bronzeFutureOptionMbo } from '../../contracts/tables/bronze';
import { silverOptionDepthAndFlow1s } from '../../contracts/tables/silver';
import type { Product } from './product';

export const futureOptionMbo: Product = {
  id: 'future_option_mbo',
  pipelineVersion: 'options-0.0.0',
  tables: [
    { wireId: 1, decl: bronzeFutureOptionMbo },
    { wireId: 2, decl: silverOptionDepthAndFlow1s },
  ],
  createEngine: null,
};
