/** Where the seed's programs meet: the server on 50001, its stammering proxy on 50000 (the client's default). */

/** The server's port. */
export const TRANSFER_PORT = 50001;

/** The proxy's port, where the client connects unless told. */
export const PROXY_PORT = 50000;
