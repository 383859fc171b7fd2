// Every `stir` command, in the order `stir --help` lists them.
import type { CliCommand } from '../command.js';
import { animateCommand } from './animate.js';
import { doctorCommand } from './doctor.js';
import { webCommand } from './web.js';

export const commands: CliCommand[] = [animateCommand, doctorCommand, webCommand];
