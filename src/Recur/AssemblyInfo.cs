namespace Recur;
