// The server's first import: sets the heap's growth before any other module of the server allocates (decision 0048).
import { limitHeapGrowth } from './heap-growth.js';

limitHeapGrowth();
