// The kernel clock discipline interface (adjtimex(2)), which Glibc's Swift module leaves out.
#include <sys/timex.h>
