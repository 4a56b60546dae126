/**
 * The three Reflect metadata calls tsyringe makes (getMetadata, getOwnMetadata, defineMetadata), for
 * @peculiar/x509, which registers its algorithms through tsyringe and refuses to load without them.
 * NOTE: we rely on tsyringe's use of these being class-level only (reflection-helpers.js); the
 * `reflect-metadata` package is the full polyfill, and replacing this file with `import 'reflect-metadata'`
 * is all it takes once it is a dependency. Import this module before @peculiar/x509.
 */
type MetadataReflect = typeof Reflect & {
  getMetadata?: (key: unknown, target: object) => unknown;
  getOwnMetadata?: (key: unknown, target: object) => unknown;
  defineMetadata?: (key: unknown, value: unknown, target: object) => void;
};

const R = Reflect as MetadataReflect;
if (!R.getMetadata) {
  const table = new WeakMap<object, Map<unknown, unknown>>();
  R.getOwnMetadata = (key, target) => table.get(target)?.get(key);
  R.getMetadata = (key, target) => {
    // Inherited like reflect-metadata: up the prototype chain.
    for (let t: object | null = target; t; t = Object.getPrototypeOf(t) as object | null) {
      const own = table.get(t);
      if (own?.has(key)) return own.get(key);
    }
    return undefined;
  };
  R.defineMetadata = (key, value, target) => {
    let own = table.get(target);
    if (!own) table.set(target, (own = new Map()));
    own.set(key, value);
  };
}

export {};
