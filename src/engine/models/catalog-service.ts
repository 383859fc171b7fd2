// The catalog's area of the service (the listCatalog method): the entries of resources/models with the
// installed packs matched to them.
import { StirError, type CatalogListing } from '../../shared/index.js';
import { matchInstalled, readCatalog } from './catalog.js';

export interface CatalogPorts {
  /** The catalog folder, or null when this build has none. */
  dir: string | null;
  /** Ids of the installed packs (empty when no models folder is set up). */
  installedIds(): Promise<string[]>;
}

export class CatalogService {
  readonly #ports: CatalogPorts;

  constructor(ports: CatalogPorts) {
    this.#ports = ports;
  }

  async listCatalog(_params: Record<string, never>): Promise<CatalogListing> {
    const { dir } = this.#ports;
    if (dir === null) {
      throw new StirError('NOT_FOUND', 'This copy of Stir has no model catalog (resources/models).', {
        hint: 'Reinstall Stir, or set STIR_CATALOG_DIR to the folder.',
      });
    }
    return matchInstalled(await readCatalog(dir), await this.#ports.installedIds());
  }
}
