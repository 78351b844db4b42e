/**
 * Internal: not API. The rooms of the log engine behind the {@link io.clfs.log.ClfsLog} facade; the
 * classes are public only because the facade and its companions in {@code io.clfs.log} call them.
 * {@code docs/architecture.md} describes what each room owns and which lock it runs under.
 */
package io.clfs.log.engine;
