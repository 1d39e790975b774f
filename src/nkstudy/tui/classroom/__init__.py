"""The classroom apps: the drill, the teacher's board and the browser join."""
