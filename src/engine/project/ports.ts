// Where the projects area keeps its files, given the per-user data folder.
import { join } from 'node:path';
import type { ProjectsPorts } from '../ports.js';

export function projectsPorts(dataDir: string): ProjectsPorts {
  return { dataDir, projectsDir: process.env.STIR_PROJECTS_DIR ?? join(dataDir, 'projects') };
}
