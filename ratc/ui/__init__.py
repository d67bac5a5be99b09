"""Everything that imports Streamlit: the cache wrappers, shared components, the page parts per capability, the
guard every page runs through and the server start. May import every capability and ratc.core; nothing outside this
package imports Streamlit."""
