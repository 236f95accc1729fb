/**
 * Construct ids from spec names. Ids keep letters and digits only (they become CloudFormation
 * logical ids), so distinct names can meet ("apim-1", "apim1"): later ones get a number.
 */
export class ConstructIds {
  readonly #used = new Set<string>();

  /** `prefix` + the name's letters and digits (first letter capitalised) + `suffix`, made unique. */
  next(prefix: string, name: string, suffix = ''): string {
    const words = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
    const stem = `${prefix}${words.map((word) => word[0]!.toUpperCase() + word.slice(1)).join('')}`;
    let id = `${stem}${suffix}`;
    for (let n = 2; this.#used.has(id); n++) id = `${stem}${n}${suffix}`;
    this.#used.add(id);
    return id;
  }
}
