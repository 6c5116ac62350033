// Every product by id: the ingest worker gets a product id in its request and finds the
// declaration here (functions do not cross a thread boundary).
import { futureMbo } from './futureMbo';
import { futureOptionMbo } from './futureOptionMbo';
import type { Product, ProductId } from './product';

export const PRODUCTS: Readonly<Record<ProductId, Product>> = {
  future_mbo: futureMbo,
  future_option_mbo: futureOptionMbo,
};

export function productById(id: ProductId): Product {
  const p = PRODUCTS[id];
  if (!p) throw new Error(`unknown product ${String(id)}`);
  return p;
}
