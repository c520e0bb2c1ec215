export { runCommand } from './commands/run.js';
export { resumeCommand } from './commands/resume.js';
export { ProgressDisplay } from './progress/progress-display.js';
