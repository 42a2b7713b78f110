import { Foundation1795612300000 } from './1795612300000-foundation';
import { RecorderStatus1795614246296 } from './1795614246296-recorder-status';

/** Every migration, oldest first. A new migration is a new timestamped file appended here. */
export const migrations = [Foundation1795612300000, RecorderStatus1795614246296];
