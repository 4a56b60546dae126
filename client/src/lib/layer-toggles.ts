/** The map layers a user can switch on and off, named as the API names the layers. */
export const LAYER_TOGGLES = ['subdistricts', 'communities', 'markets', 'back-streets', 'points', 'problems'] as const;
export type LayerToggle = (typeof LAYER_TOGGLES)[number];

/** Is `value` one of the layer toggle names? */
export function isLayerToggle(value: string): value is LayerToggle {
  return (LAYER_TOGGLES as readonly string[]).includes(value);
}

/** The hidden list with `layer` flipped, in the canonical toggle order. */
export function toggleValueOf(hidden: readonly LayerToggle[], layer: LayerToggle): LayerToggle[] {
  const next = hidden.includes(layer) ? hidden.filter((l) => l !== layer) : [...hidden, layer];
  return LAYER_TOGGLES.filter((l) => next.includes(l));
}
