// Every `stir` command, in the order `stir --help` lists them.
import type { CliCommand } from '../command.js';
import { animateCommand } from './animate.js';
import { demoCommand } from './demo.js';
import { doctorCommand } from './doctor.js';
import { evalCommand } from './eval.js';
import { modelsCommand } from './models.js';
import { webCommand } from './web.js';

export const commands: CliCommand[] = [
  animateCommand,
  demoCommand,
  webCommand,
  modelsCommand,
  evalCommand,
  doctorCommand,
];
