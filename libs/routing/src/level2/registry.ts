import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UnitClassifier } from './classifier';

const MODEL_FILE = /^(.+)\.model\.json$/;

/** Loads `<bodyCode>.model.json` files (e.g. `35.78.model.json` for Kota Surabaya) from a folder. */
export class UnitModelRegistry {
  private constructor(private readonly models: Map<string, UnitClassifier>) {}

  static load(dir: string): UnitModelRegistry {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`model folder not found: ${dir}`);
    const models = new Map<string, UnitClassifier>();
    for (const f of readdirSync(dir).sort()) {
      const m = MODEL_FILE.exec(f);
      if (m) models.set(m[1]!, UnitClassifier.load(join(dir, f)));
    }
    return new UnitModelRegistry(models);
  }

  static of(models: Record<string, UnitClassifier>): UnitModelRegistry {
    return new UnitModelRegistry(new Map(Object.entries(models)));
  }

  forBody(code: string): UnitClassifier | undefined {
    return this.models.get(code);
  }

  bodies(): string[] {
    return [...this.models.keys()];
  }
}
