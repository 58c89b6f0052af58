"""Reports: figures assembled from queries and measures for people to read (the board's headlines and
the PDF board pack). No Streamlit here, so the pack is built on the server from the same figures the
screen shows."""
