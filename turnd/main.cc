// turnd entry point; the daemon is assembled in turnd/server.
int main() { return 0; }
